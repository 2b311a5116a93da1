//! Brazilian Portuguese cardinals: "dezesseis", "quatorze" (the Brazilian spelling), "cem"
//! alone and "cento e ..." before more, "e" between hundreds, tens and units, and before the
//! last group when it is below a hundred or a round hundred ("mil e duzentos", but "mil
//! duzentos e cinquenta"); short scale ("um bilhão" is 10^9). Masculine forms ("dois", not
//! "duas").

const UNITS: [&str; 20] = [
    "zero",
    "um",
    "dois",
    "três",
    "quatro",
    "cinco",
    "seis",
    "sete",
    "oito",
    "nove",
    "dez",
    "onze",
    "doze",
    "treze",
    "quatorze",
    "quinze",
    "dezesseis",
    "dezessete",
    "dezoito",
    "dezenove",
];
const TENS: [&str; 10] = [
    "",
    "",
    "vinte",
    "trinta",
    "quarenta",
    "cinquenta",
    "sessenta",
    "setenta",
    "oitenta",
    "noventa",
];
const HUNDREDS: [&str; 10] = [
    "",
    "cento",
    "duzentos",
    "trezentos",
    "quatrocentos",
    "quinhentos",
    "seiscentos",
    "setecentos",
    "oitocentos",
    "novecentos",
];
/// Scales above the thousands, largest first: (value, singular, plural).
const SCALES: [(u64, &str, &str); 2] = [
    (1_000_000_000, "bilhão", "bilhões"),
    (1_000_000, "milhão", "milhões"),
];

pub(super) const POINT: &str = "vírgula";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    // Each nonzero group's words and the group's own value (below 1000).
    let mut groups: Vec<(String, u64)> = Vec::new();
    let mut rest = n;
    for (i, (scale, one, many)) in SCALES.into_iter().enumerate() {
        let count = rest / scale;
        rest %= scale;
        if count == 0 {
            continue;
        }
        // The largest scale counts recursively, so any u64 is served.
        let words = if i == 0 {
            cardinal(count)
        } else {
            below_thousand(count)
        };
        let name = if count == 1 { one } else { many };
        groups.push((format!("{words} {name}"), count));
    }
    let thousands = rest / 1000;
    if thousands == 1 {
        groups.push(("mil".into(), 1));
    } else if thousands > 1 {
        groups.push((format!("{} mil", below_thousand(thousands)), thousands));
    }
    let units = rest % 1000;
    if units > 0 {
        groups.push((below_thousand(units), units));
    }
    let last = groups.len().saturating_sub(1);
    let mut text = String::new();
    for (i, (words, value)) in groups.iter().enumerate() {
        if i > 0 {
            let joined = i == last && (*value < 100 || value % 100 == 0);
            text.push_str(if joined { " e " } else { " " });
        }
        text.push_str(words);
    }
    text
}

/// `n` in 1..1000.
fn below_thousand(n: u64) -> String {
    if n == 100 {
        return "cem".into();
    }
    let (hundreds, rest) = ((n / 100) as usize, (n % 100) as usize);
    let tail = below_hundred(rest);
    match (hundreds, tail.is_empty()) {
        (0, _) => tail,
        (_, true) => HUNDREDS[hundreds].into(),
        (_, false) => format!("{} e {tail}", HUNDREDS[hundreds]),
    }
}

/// `n` in 0..100, empty for 0.
fn below_hundred(n: usize) -> String {
    match n {
        0 => String::new(),
        1..=19 => UNITS[n].into(),
        _ => match n % 10 {
            0 => TENS[n / 10].into(),
            unit => format!("{} e {}", TENS[n / 10], UNITS[unit]),
        },
    }
}
