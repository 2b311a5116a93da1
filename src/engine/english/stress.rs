//! misaki's stress marks: where they may sit and how a word's stress is raised or lowered
//! (`apply_stress`), as misaki.en applies them to lexicon entries and whole numbers.

pub const PRIMARY: char = 'ˈ';
pub const SECONDARY: char = 'ˌ';
/// Vowels a stress mark is moved in front of.
pub const VOWELS: &str = "AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ";
/// Consonants, for deciding whether the next word starts with a vowel.
pub const CONSONANTS: &str = "bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθ";
/// Phonemes that weigh two in `weight`: diphthongs and affricates.
const DIPHTHONGS: &str = "AIOQWYʤʧ";

pub fn is_vowel(c: char) -> bool {
    VOWELS.contains(c)
}

fn has_stress(ps: &str) -> bool {
    ps.contains(PRIMARY) || ps.contains(SECONDARY)
}

/// misaki's `stress_weight`: a rough syllable weight, used to pick which parts of a
/// compound keep their primary stress.
pub fn weight(ps: &str) -> usize {
    ps.chars()
        .map(|c| if DIPHTHONGS.contains(c) { 2 } else { 1 })
        .sum()
}

/// misaki's `apply_stress`. `stress` is misaki's number: below -1 strips all stress, -1
/// (or 0 / -0.5 on a stressed word) demotes primary to secondary, 0..1 adds a secondary to
/// an unstressed word, above 1 adds a primary; None leaves the word alone.
pub fn apply(ps: &str, stress: Option<f64>) -> String {
    let Some(stress) = stress else {
        return ps.to_string();
    };
    let unstressed = !has_stress(ps);
    let has_vowel = ps.chars().any(is_vowel);
    if stress < -1.0 {
        ps.replace([PRIMARY, SECONDARY], "")
    } else if stress == -1.0 || ((stress == 0.0 || stress == -0.5) && ps.contains(PRIMARY)) {
        ps.replace(SECONDARY, "")
            .replace(PRIMARY, &SECONDARY.to_string())
    } else if [0.0, 0.5, 1.0].contains(&stress) && unstressed {
        if !has_vowel {
            return ps.to_string();
        }
        restress(&format!("{SECONDARY}{ps}"))
    } else if stress >= 1.0 && !ps.contains(PRIMARY) && ps.contains(SECONDARY) {
        ps.replace(SECONDARY, &PRIMARY.to_string())
    } else if stress > 1.0 && unstressed {
        if !has_vowel {
            return ps.to_string();
        }
        restress(&format!("{PRIMARY}{ps}"))
    } else {
        ps.to_string()
    }
}

/// Moves every stress mark to just before the next vowel (misaki sorts the characters by
/// position, a mark taking the position of its vowel less a half).
fn restress(ps: &str) -> String {
    let chars: Vec<char> = ps.chars().collect();
    let mut keyed: Vec<(f64, char)> = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c == PRIMARY || c == SECONDARY {
                let vowel = chars[i..].iter().position(|&v| is_vowel(v)).map(|o| i + o);
                (vowel.map_or(i as f64, |j| j as f64 - 0.5), c)
            } else {
                (i as f64, c)
            }
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stress_moves_before_the_first_vowel() {
        assert_eq!(apply("hɛlO", Some(2.0)), "hˈɛlO");
        assert_eq!(apply("hɛlO", Some(0.5)), "hˌɛlO");
        assert_eq!(apply("hˈɛlO", Some(-1.0)), "hˌɛlO");
        assert_eq!(apply("hˈɛlˌO", Some(-2.0)), "hɛlO");
        assert_eq!(apply("hˌɛlO", Some(2.0)), "hˈɛlO");
        assert_eq!(apply("pst", Some(2.0)), "pst");
    }
}
