//! English number words as num2words 0.5 (lang EN) writes them, the spelling misaki reads:
//! cardinals ("one thousand, two hundred and fifty"), ordinals ("twenty-first"), years
//! ("nineteen eighty-four") and decimals ("three point one four"). misaki splits the text
//! at every non-letter, so the commas and hyphens only need to be where num2words puts
//! words apart; the words and the "and"s must be its own.

/// The words of 0..20, and of the tens (`TENS[2]` = "twenty"): shared with the error
/// rates' English speller, which spells numbers the same way.
pub(crate) const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
pub(crate) const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
/// The Latin stems num2words' EN class builds its short-scale names from: 10^(3k) for k in
/// 2..=10 from `LOWS`, then k = 11.. from `LATIN_UNITS` x `LATIN_TENS` ("dec", "undec", ... "vigint"),
/// then "cent" (10^303), each + "illion".
const LOWS: [&str; 9] = [
    "m", "b", "tr", "quadr", "quint", "sext", "sept", "oct", "non",
];
const LATIN_UNITS: [&str; 10] = [
    "", "un", "duo", "tre", "quattuor", "quin", "sex", "sept", "octo", "novem",
];
const LATIN_TENS: [&str; 9] = [
    "dec",
    "vigint",
    "trigint",
    "quadragint",
    "quinquagint",
    "sexagint",
    "septuagint",
    "octogint",
    "nonagint",
];

/// The name of 10^(3k), or None past num2words' last (it refuses 10^306 and more).
fn scale_name(k: usize) -> Option<String> {
    let stem = match k {
        0 => return Some(String::new()),
        1 => return Some("thousand".into()),
        2..=10 => LOWS[k - 2].to_string(),
        11..=100 => format!(
            "{}{}",
            LATIN_UNITS[(k - 11) % 10],
            LATIN_TENS[(k - 11) / 10]
        ),
        101 => "cent".to_string(),
        _ => return None,
    };
    Some(format!("{stem}illion"))
}

/// Below a thousand: "one hundred and five", "forty-two".
fn below_thousand(n: u64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let rest_text = match rest {
        0 => String::new(),
        1..=19 => ONES[rest as usize].to_string(),
        _ if rest % 10 == 0 => TENS[(rest / 10) as usize].to_string(),
        _ => format!(
            "{}-{}",
            TENS[(rest / 10) as usize],
            ONES[(rest % 10) as usize]
        ),
    };
    match (hundreds, rest) {
        (0, _) => rest_text,
        (h, 0) => format!("{} hundred", ONES[h as usize]),
        (h, _) => format!("{} hundred and {rest_text}", ONES[h as usize]),
    }
}

/// num2words' cardinal of a string of ASCII digits (any length num2words takes, below
/// 10^306). Groups of a thousand are joined with ", ", except that a last group under a
/// hundred is joined with " and " ("two thousand and five").
pub fn cardinal(digits: &str) -> Option<String> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(ONES[0].to_string());
    }
    let mut groups: Vec<u64> = Vec::new();
    let mut end = digits.len();
    while end > 0 {
        let start = end.saturating_sub(3);
        groups.push(digits[start..end].parse().ok()?);
        end = start;
    }
    let mut out = String::new();
    for (scale, &group) in groups.iter().enumerate().rev() {
        let name = scale_name(scale)?;
        if group == 0 {
            continue;
        }
        let words = if scale == 0 {
            below_thousand(group)
        } else {
            format!("{} {name}", below_thousand(group))
        };
        if !out.is_empty() {
            out.push_str(if scale == 0 && group < 100 {
                " and "
            } else {
                ", "
            });
        }
        out.push_str(&words);
    }
    Some(out)
}

/// `cardinal` of a number that fits a u64 (always has words).
pub fn cardinal_of(n: u64) -> String {
    cardinal(&n.to_string()).unwrap_or_default()
}

/// num2words' ordinal: the cardinal with its last word made ordinal.
pub fn ordinal(digits: &str) -> Option<String> {
    let text = cardinal(digits)?;
    let cut = text.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = text.split_at(cut);
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    Some(format!("{head}{last}"))
}

/// num2words' year: "nineteen eighty-four", "nineteen hundred", "nineteen oh-five"; a
/// cardinal for 00XX, X00X and beyond 9999 ("two thousand and five").
pub fn year(n: u64) -> String {
    let (high, low) = (n / 100, n % 100);
    if high == 0 || (high % 10 == 0 && low < 10) || high >= 100 {
        return cardinal_of(n);
    }
    let low_text = match low {
        0 => "hundred".to_string(),
        1..=9 => format!("oh-{}", cardinal_of(low)),
        _ => cardinal_of(low),
    };
    format!("{} {low_text}", cardinal_of(high))
}

/// num2words on a float written with a decimal point ("3.14"): the whole part, "point",
/// then each digit of the fraction as Python's float repr keeps it (trailing zeros gone);
/// a whole number ("2.0") reads as its cardinal.
pub fn decimal(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once('.')?;
    let whole = if whole.is_empty() { "0" } else { whole };
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        return cardinal(whole);
    }
    let digits: Vec<&str> = fraction
        .chars()
        .map(|c| ONES[c.to_digit(10).unwrap_or(0) as usize])
        .collect();
    Some(format!("{} point {}", cardinal(whole)?, digits.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_like_num2words() {
        let card = |n: &str| cardinal(n).unwrap();
        assert_eq!(card("0"), "zero");
        assert_eq!(card("42"), "forty-two");
        assert_eq!(card("105"), "one hundred and five");
        assert_eq!(card("1250"), "one thousand, two hundred and fifty");
        assert_eq!(card("2005"), "two thousand and five");
        assert_eq!(card("1000000"), "one million");
        assert_eq!(card("1000000000000000000001"), "one sextillion and one");
        assert_eq!(card(&format!("1{}", "0".repeat(303))), "one centillion");
        assert_eq!(card(&format!("1{}", "0".repeat(36))), "one undecillion");
        assert_eq!(
            card(&format!("1{}", "0".repeat(90))),
            "one novemvigintillion"
        );
        assert_eq!(
            card("12345678901234567890123"),
            "twelve sextillion, three hundred and forty-five quintillion, six hundred and \
             seventy-eight quadrillion, nine hundred and one trillion, two hundred and thirty-four \
             billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one \
             hundred and twenty-three"
        );
        assert_eq!(cardinal(&format!("1{}", "0".repeat(306))), None);
        assert_eq!(ordinal("21").unwrap(), "twenty-first");
        assert_eq!(ordinal("100").unwrap(), "one hundredth");
        assert_eq!(ordinal("40").unwrap(), "fortieth");
        assert_eq!(year(1984), "nineteen eighty-four");
        assert_eq!(year(2026), "twenty twenty-six");
        // misaki reads every four-digit number that is not money as num2words' year,
        // whatever spaCy tags it, so a date's "2024" is "twenty twenty-four" (espeak-ng says
        // "two thousand and twenty-four"); "two thousand" only for 2000-2009.
        assert_eq!(year(2024), "twenty twenty-four");
        assert_eq!(year(2010), "twenty ten");
        assert_eq!(year(2000), "two thousand");
        assert_eq!(year(2005), "two thousand and five");
        assert_eq!(year(1905), "nineteen oh-five");
        assert_eq!(year(1900), "nineteen hundred");
        assert_eq!(decimal("3.14").as_deref(), Some("three point one four"));
        assert_eq!(decimal("2.50").as_deref(), Some("two point five"));
    }
}
