//! Spanish cardinals: "veintiuno" in one word, "cien" alone and "ciento" before more, "un"
//! and "veintiún" before mil and millón (the apocope speech makes), long scale ("mil
//! millones", not "billón", below 10^12). Masculine forms: "una"/"doscientas" before a
//! feminine noun cost a character or two.

const UNITS: [&str; 30] = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];
const TENS: [&str; 10] = [
    "",
    "",
    "",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];
const HUNDREDS: [&str; 10] = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
];
const MILLION: u64 = 1_000_000;

pub(super) const POINT: &str = "coma";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    words(n, false)
}

/// `n` > 0. `apocope`: a noun (mil, millón) follows, so a final "uno" is said "un".
fn words(n: u64, apocope: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    let millions = n / MILLION;
    if millions == 1 {
        parts.push("un millón".into());
    } else if millions > 1 {
        // Counted recursively: "mil millones" and beyond without a table of scales.
        parts.push(format!("{} millones", words(millions, true)));
    }
    let rest = n % MILLION;
    let thousands = rest / 1000;
    if thousands == 1 {
        parts.push("mil".into());
    } else if thousands > 1 {
        parts.push(format!("{} mil", below_thousand(thousands, true)));
    }
    let units = rest % 1000;
    if units > 0 {
        parts.push(below_thousand(units, apocope));
    }
    parts.join(" ")
}

/// `n` in 1..1000.
fn below_thousand(n: u64, apocope: bool) -> String {
    if n == 100 {
        return "cien".into();
    }
    let (hundreds, rest) = ((n / 100) as usize, (n % 100) as usize);
    let tail = below_hundred(rest, apocope);
    match (hundreds, tail.is_empty()) {
        (0, _) => tail,
        (_, true) => HUNDREDS[hundreds].into(),
        (_, false) => format!("{} {tail}", HUNDREDS[hundreds]),
    }
}

/// `n` in 0..100, empty for 0.
fn below_hundred(n: usize, apocope: bool) -> String {
    match n {
        0 => String::new(),
        1 if apocope => "un".into(),
        21 if apocope => "veintiún".into(),
        1..=29 => UNITS[n].into(),
        _ => match n % 10 {
            0 => TENS[n / 10].into(),
            1 if apocope => format!("{} y un", TENS[n / 10]),
            unit => format!("{} y {}", TENS[n / 10], UNITS[unit]),
        },
    }
}
