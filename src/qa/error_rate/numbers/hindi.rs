//! Hindi cardinals in the Indian system: a word for each of 0..=99 (they are not built from
//! tens and units), then सौ (hundred), हज़ार (thousand), लाख (10^5) and करोड़ (10^7), each
//! counted ("एक लाख पच्चीस हज़ार"). Several numerals have more than one accepted spelling
//! (छह/छः, पाँच/पांच, उनासी/उन्यासी); one is chosen, and Whisper choosing another costs a
//! character or two. Devanagari digits are read as digits before this (see `normalise`).

const BELOW_HUNDRED: [&str; 100] = [
    "शून्य",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ", //
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस", //
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस", //
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस", //
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास", //
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरेपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ", //
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर", //
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उनासी", //
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी", //
    "नब्बे",
    "इक्यानवे",
    "बानवे",
    "तिरानवे",
    "चौरानवे",
    "पचानवे",
    "छियानवे",
    "सत्तानवे",
    "अट्ठानवे",
    "निन्यानवे",
];
const CRORE: u64 = 10_000_000;
/// Below the crores, largest first: (value, how many of it at most, name).
const SCALES: [(u64, u64, &str); 3] =
    [(100_000, 100, "लाख"), (1_000, 100, "हज़ार"), (100, 10, "सौ")];

pub(super) const POINT: &str = "दशमलव";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return BELOW_HUNDRED[0].to_string();
    }
    let mut words: Vec<String> = Vec::new();
    if n >= CRORE {
        // Crores are counted recursively ("सौ करोड़" for 10^9), so any u64 is served.
        words.push(cardinal(n / CRORE));
        words.push("करोड़".into());
    }
    for (value, most, name) in SCALES {
        let count = (n / value) % most;
        if count > 0 {
            words.push(BELOW_HUNDRED[count as usize].into());
            words.push(name.into());
        }
    }
    let rest = (n % 100) as usize;
    if rest > 0 {
        words.push(BELOW_HUNDRED[rest].into());
    }
    words.join(" ")
}
