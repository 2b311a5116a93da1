//! English number words as num2words 0.5 (lang EN) writes them, the spelling misaki reads:
//! cardinals ("one thousand, two hundred and fifty"), ordinals ("twenty-first"), years
//! ("nineteen eighty-four") and decimals ("three point one four"). misaki splits the text
//! at every non-letter, so the commas and hyphens only need to be where num2words puts
//! words apart; the words and the "and"s must be its own.

const ONES: [&str; 20] = [
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
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
/// Short scale, as num2words' EN class names the powers of a thousand.
const SCALES: [&str; 7] = [
    "",
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
];

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

/// num2words' cardinal. Groups of a thousand are joined with ", ", except that a last
/// group under a hundred is joined with " and " ("two thousand and five").
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    if n < 1000 {
        return below_thousand(n);
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let mut out = String::new();
    for (scale, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        let words = if scale == 0 {
            below_thousand(group)
        } else {
            format!("{} {}", below_thousand(group), SCALES[scale])
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
    out
}

/// num2words' ordinal: the cardinal with its last word made ordinal.
pub fn ordinal(n: u64) -> String {
    let text = cardinal(n);
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
    format!("{head}{last}")
}

/// num2words' year: "nineteen eighty-four", "nineteen hundred", "nineteen oh-five"; a
/// cardinal for 00XX, X00X and beyond 9999 ("two thousand and five").
pub fn year(n: u64) -> String {
    let (high, low) = (n / 100, n % 100);
    if high == 0 || (high % 10 == 0 && low < 10) || high >= 100 {
        return cardinal(n);
    }
    let low_text = match low {
        0 => "hundred".to_string(),
        1..=9 => format!("oh-{}", cardinal(low)),
        _ => cardinal(low),
    };
    format!("{} {low_text}", cardinal(high))
}

/// num2words on a float written with a decimal point ("3.14"): the whole part, "point",
/// then each digit of the fraction as Python's float repr keeps it (trailing zeros gone);
/// a whole number ("2.0") reads as its cardinal.
pub fn decimal(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once('.')?;
    let whole_n: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        return Some(cardinal(whole_n));
    }
    let digits: Vec<&str> = fraction
        .chars()
        .map(|c| ONES[c.to_digit(10).unwrap_or(0) as usize])
        .collect();
    Some(format!("{} point {}", cardinal(whole_n), digits.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_like_num2words() {
        assert_eq!(cardinal(0), "zero");
        assert_eq!(cardinal(42), "forty-two");
        assert_eq!(cardinal(105), "one hundred and five");
        assert_eq!(cardinal(1250), "one thousand, two hundred and fifty");
        assert_eq!(cardinal(2005), "two thousand and five");
        assert_eq!(cardinal(1_000_000), "one million");
        assert_eq!(ordinal(21), "twenty-first");
        assert_eq!(ordinal(100), "one hundredth");
        assert_eq!(ordinal(40), "fortieth");
        assert_eq!(year(1984), "nineteen eighty-four");
        assert_eq!(year(2026), "twenty twenty-six");
        assert_eq!(year(2005), "two thousand and five");
        assert_eq!(year(1905), "nineteen oh-five");
        assert_eq!(year(1900), "nineteen hundred");
        assert_eq!(decimal("3.14").as_deref(), Some("three point one four"));
        assert_eq!(decimal("2.50").as_deref(), Some("two point five"));
    }
}
