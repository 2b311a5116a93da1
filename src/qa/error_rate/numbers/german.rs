//! German cardinals: one word below a million ("eintausendzweihundertfünfzig"), "eins" only
//! at the very end ("einhunderteins") and "ein" inside, "einhundert"/"eintausend" with
//! their "ein", then "eine Million", "zwei Millionen", "eine Milliarde" as separate words
//! (lowercase here, as the normalisation lowers everything).

const UNITS: [&str; 20] = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
];
const TENS: [&str; 10] = [
    "", "zehn", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
    "neunzig",
];
const MILLIARDE: u64 = 1_000_000_000;
const MILLION: u64 = 1_000_000;

pub(super) const POINT: &str = "komma";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let milliarden = n / MILLIARDE;
    if milliarden == 1 {
        parts.push("eine milliarde".into());
    } else if milliarden > 1 {
        // Counted recursively, so any u64 is served; "eins" cannot end a count.
        parts.push(format!("{} milliarden", count(milliarden)));
    }
    let millionen = (n / MILLION) % 1000;
    if millionen == 1 {
        parts.push("eine million".into());
    } else if millionen > 1 {
        parts.push(format!("{} millionen", below_thousand(millionen, false)));
    }
    let thousands = (n / 1000) % 1000;
    let mut word = String::new();
    if thousands > 0 {
        word = below_thousand(thousands, false) + "tausend";
    }
    word.push_str(&below_thousand(n % 1000, true));
    if !word.is_empty() {
        parts.push(word);
    }
    parts.join(" ")
}

/// A count before a scale noun: "einundzwanzig", never a final "eins".
fn count(n: u64) -> String {
    let spelled = cardinal(n);
    match spelled.strip_suffix("eins") {
        Some(stem) => format!("{stem}ein"),
        None => spelled,
    }
}

/// `n` in 0..1000, empty for 0. `last`: nothing follows, so a final one is "eins".
fn below_thousand(n: u64, last: bool) -> String {
    let (hundreds, rest) = ((n / 100) as usize, (n % 100) as usize);
    let mut word = String::new();
    if hundreds > 0 {
        word.push_str(unit_in_compound(hundreds));
        word.push_str("hundert");
    }
    match rest {
        0 => {}
        1 if !last => word.push_str("ein"),
        1..=19 => word.push_str(UNITS[rest]),
        _ => {
            if rest % 10 > 0 {
                word.push_str(unit_in_compound(rest % 10));
                word.push_str("und");
            }
            word.push_str(TENS[rest / 10]);
        }
    }
    word
}

fn unit_in_compound(unit: usize) -> &'static str {
    if unit == 1 {
        "ein"
    } else {
        UNITS[unit]
    }
}
