//! French cardinals in the traditional spelling: "vingt et un", "soixante et onze",
//! "quatre-vingts" and "deux cents" with their plural s only at the end of the number or
//! before million/milliard (never before "mille"). Hyphens are left out: the normalisation
//! turns them into spaces anyway, so "vingt-et-un" (1990 spelling) compares equal.

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];
const TENS: [&str; 7] = [
    "",
    "dix",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
];
const MILLIARD: u64 = 1_000_000_000;
const MILLION: u64 = 1_000_000;

pub(super) const POINT: &str = "virgule";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    let mut words: Vec<&'static str> = Vec::new();
    let mut head = String::new();
    let milliards = n / MILLIARD;
    if milliards > 0 {
        // Counted recursively so any u64 is served; a noun follows, so plurals stay.
        head = cardinal(milliards);
        head.push_str(if milliards == 1 {
            " milliard"
        } else {
            " milliards"
        });
    }
    let millions = (n / MILLION) % 1000;
    if millions > 0 {
        below_thousand(millions, true, &mut words);
        words.push(if millions == 1 { "million" } else { "millions" });
    }
    let thousands = (n / 1000) % 1000;
    if thousands == 1 {
        words.push("mille");
    } else if thousands > 1 {
        below_thousand(thousands, false, &mut words);
        words.push("mille");
    }
    below_thousand(n % 1000, true, &mut words);
    let tail = words.join(" ");
    match (head.is_empty(), tail.is_empty()) {
        (true, _) => tail,
        (false, true) => head,
        (false, false) => format!("{head} {tail}"),
    }
}

/// `n` in 0..1000, nothing for 0. `plural`: whether "cents"/"vingts" may take their s here.
fn below_thousand(n: u64, plural: bool, words: &mut Vec<&'static str>) {
    let (hundreds, rest) = ((n / 100) as usize, n % 100);
    if hundreds > 1 {
        words.push(UNITS[hundreds]);
        words.push(if rest == 0 && plural { "cents" } else { "cent" });
    } else if hundreds == 1 {
        words.push("cent");
    }
    below_hundred(rest as usize, plural, words);
}

fn below_hundred(n: usize, plural: bool, words: &mut Vec<&'static str>) {
    match n {
        0 => {}
        1..=16 => words.push(UNITS[n]),
        17..=19 => words.extend(["dix", UNITS[n - 10]]),
        20..=69 => {
            words.push(TENS[n / 10]);
            match n % 10 {
                0 => {}
                1 => words.extend(["et", "un"]),
                unit => words.push(UNITS[unit]),
            }
        }
        71 => words.extend(["soixante", "et", "onze"]),
        70..=79 => {
            words.push("soixante");
            below_hundred(n - 60, plural, words);
        }
        80 => words.extend(["quatre", if plural { "vingts" } else { "vingt" }]),
        _ => {
            words.extend(["quatre", "vingt"]);
            below_hundred(n - 80, plural, words);
        }
    }
}
