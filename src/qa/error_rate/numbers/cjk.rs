//! Japanese and Chinese cardinals in kanji/hanzi, grouped by 万 (10^4) and 億/亿 (10^8).
//! Japanese drops the one before 十, 百 and 千 ("千二百五十") and writes no zeros inside a
//! number; Chinese writes the one ("一千二百五十", except a leading 十), and a 零 for each
//! run of missing places ("一百零一", "一万零五十"). Whisper writing 两 for two in Chinese, or
//! 一千 in Japanese, costs a character.

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
/// Places inside a group of four digits, largest first.
const PLACES: [(u64, &str); 3] = [(1000, "千"), (100, "百"), (10, "十")];
const MAN: u64 = 10_000;
const OKU: u64 = 100_000_000;

pub(super) const POINT: &str = "点";

pub(super) fn japanese(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut text = String::new();
    if n >= OKU {
        // Counted recursively, so any u64 is served (兆 is left out: it is past 10^12).
        text.push_str(&japanese(n / OKU));
        text.push('億');
    }
    let man = (n / MAN) % MAN;
    if man > 0 {
        // 一万, not 万: the one is only dropped before the places inside a group.
        text.push_str(&japanese_group(man));
        text.push('万');
    }
    text.push_str(&japanese_group(n % MAN));
    text
}

/// `n` in 0..10_000, empty for 0.
fn japanese_group(n: u64) -> String {
    let mut text = String::new();
    for (value, name) in PLACES {
        let digit = (n / value) % 10;
        if digit > 1 {
            text.push_str(DIGITS[digit as usize]);
        }
        if digit > 0 {
            text.push_str(name);
        }
    }
    let unit = (n % 10) as usize;
    if unit > 0 {
        text.push_str(DIGITS[unit]);
    }
    text
}

pub(super) fn chinese(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut text = String::new();
    let groups = [(n / OKU, "亿"), ((n / MAN) % MAN, "万"), (n % MAN, "")];
    // Whether a zero is owed before the next nonzero group (a group below 1000 or an
    // empty group after a higher one).
    let mut gap = false;
    for (i, (group, name)) in groups.into_iter().enumerate() {
        if group == 0 {
            gap |= !text.is_empty();
            continue;
        }
        if !text.is_empty() && (gap || group < 1000) {
            text.push_str(DIGITS[0]);
        }
        // The top group can exceed 9999 past 10^12; it is then counted recursively.
        let spelled = if i == 0 && group >= MAN {
            chinese(group)
        } else {
            chinese_group(group, text.is_empty())
        };
        text.push_str(&spelled);
        text.push_str(name);
        gap = false;
    }
    text
}

/// `n` in 1..10_000. `leading`: the start of the number, where 一十 is said 十.
fn chinese_group(n: u64, leading: bool) -> String {
    let mut text = String::new();
    let mut zero_owed = false;
    for (value, name) in PLACES {
        let digit = (n / value) % 10;
        if digit == 0 {
            zero_owed = !text.is_empty();
            continue;
        }
        if zero_owed {
            text.push_str(DIGITS[0]);
            zero_owed = false;
        }
        if !(digit == 1 && value == 10 && leading && text.is_empty()) {
            text.push_str(DIGITS[digit as usize]);
        }
        text.push_str(name);
    }
    let unit = (n % 10) as usize;
    if unit > 0 {
        if zero_owed {
            text.push_str(DIGITS[0]);
        }
        text.push_str(DIGITS[unit]);
    }
    text
}
