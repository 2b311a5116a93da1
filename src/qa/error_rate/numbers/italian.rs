//! Italian cardinals: one word below a million ("milleduecentocinquanta"), the tens losing
//! their vowel before uno and otto ("ventuno", "ventotto"), "cento" eliding before otto and
//! ottanta ("centottanta"), a final compound three accented ("ventitré"), "mille"/"mila",
//! then "un milione", "due milioni", "un miliardo" as separate words.

const UNITS: [&str; 20] = [
    "zero",
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "undici",
    "dodici",
    "tredici",
    "quattordici",
    "quindici",
    "sedici",
    "diciassette",
    "diciotto",
    "diciannove",
];
const TENS: [&str; 10] = [
    "",
    "",
    "venti",
    "trenta",
    "quaranta",
    "cinquanta",
    "sessanta",
    "settanta",
    "ottanta",
    "novanta",
];
const MILIARDO: u64 = 1_000_000_000;
const MILIONE: u64 = 1_000_000;

pub(super) const POINT: &str = "virgola";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    accent_final_three(words(n))
}

/// `n` > 0, without the final accent (a count followed by "miliardi" keeps "tre").
fn words(n: u64) -> String {
    let mut parts: Vec<String> = Vec::new();
    let miliardi = n / MILIARDO;
    if miliardi == 1 {
        parts.push("un miliardo".into());
    } else if miliardi > 1 {
        // Counted recursively, so any u64 is served.
        parts.push(format!("{} miliardi", words(miliardi)));
    }
    let milioni = (n / MILIONE) % 1000;
    if milioni == 1 {
        parts.push("un milione".into());
    } else if milioni > 1 {
        parts.push(format!("{} milioni", below_thousand(milioni)));
    }
    let rest = below_million(n % MILIONE);
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.join(" ")
}

/// `n` in 0..1_000_000, empty for 0: "mille", "duemila", "centoventicinquemila".
fn below_million(n: u64) -> String {
    let thousands = n / 1000;
    let mut word = match thousands {
        0 => String::new(),
        1 => "mille".to_string(),
        _ => below_thousand(thousands) + "mila",
    };
    word.push_str(&below_thousand(n % 1000));
    word
}

/// `n` in 0..1000, empty for 0.
fn below_thousand(n: u64) -> String {
    let (hundreds, rest) = ((n / 100) as usize, (n % 100) as usize);
    let tail = below_hundred(rest);
    let head = match hundreds {
        0 => return tail,
        1 => "cento".to_string(),
        _ => format!("{}cento", UNITS[hundreds]),
    };
    // "centotto", "duecentottanta": the o of cento meets the o of otto/ottanta.
    match head.strip_suffix('o') {
        Some(elided) if tail.starts_with('o') => format!("{elided}{tail}"),
        _ => head + &tail,
    }
}

/// `n` in 0..100, empty for 0.
fn below_hundred(n: usize) -> String {
    match n {
        0 => String::new(),
        1..=19 => UNITS[n].into(),
        _ => {
            let tens = TENS[n / 10];
            match n % 10 {
                0 => tens.into(),
                // "ventuno", "ventotto": the vowel of the tens is dropped before a vowel.
                unit @ (1 | 8) => {
                    let stem = tens.strip_suffix(['a', 'i']).unwrap_or(tens);
                    format!("{stem}{}", UNITS[unit])
                }
                unit => format!("{tens}{}", UNITS[unit]),
            }
        }
    }
}

/// A compound ending in three is written with the accent: "ventitré", "centotré",
/// "milletré"; three alone stays "tre".
fn accent_final_three(text: String) -> String {
    match text.strip_suffix("tre") {
        Some(stem) if !stem.is_empty() && !stem.ends_with(' ') => format!("{stem}tré"),
        _ => text,
    }
}
