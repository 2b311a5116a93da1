use super::numbers::cardinal;
use super::orthography::Orthography;
use super::*;

fn rates(reference: &str, hypothesis: &str, language: &str) -> ErrorRates {
    error_rates(reference, hypothesis, language).expect("scored")
}

fn norm(text: &str, language: &str) -> String {
    normalise(text, language).expect("known language")
}

#[test]
fn case_and_punctuation_do_not_count() {
    let r = rates(
        "Hello, World! How are you?",
        "hello world... how ARE you",
        "en-us",
    );
    assert_eq!(
        r,
        ErrorRates {
            cer: 0.0,
            wer: Some(0.0)
        }
    );
    let r = rates("«Bonjour», dit-elle.", "bonjour dit elle", "fr");
    assert_eq!(r.wer, Some(0.0));
}

#[test]
fn one_word_in_five_is_a_fifth() {
    let r = rates("the cat sat on mats", "the dog sat on mats", "en-gb");
    assert_eq!(r.wer, Some(0.2));
    assert!((r.cer - 3.0 / 19.0).abs() < 1e-6, "{}", r.cer);
}

#[test]
fn languages_without_spaces_have_no_wer_and_ignore_spaces() {
    let r = rates("今日は良い天気です。", "今日は 良い 天気です", "ja");
    assert_eq!(
        r,
        ErrorRates {
            cer: 0.0,
            wer: None
        }
    );
    assert_eq!(rates("你好，世界！", "你好世界", "zh").wer, None);
    assert_eq!(norm("今日は、良い天気です。", "ja"), "今日は良い天気です");
}

#[test]
fn numbers_compare_as_spoken() {
    let spelled = "one thousand two hundred fifty";
    assert_eq!(norm("$1,250", "en-us"), spelled);
    for hypothesis in [
        "1250",
        "$1,250",
        "One thousand two hundred fifty",
        "one thousand, two hundred and fifty",
    ] {
        assert_eq!(
            rates("$1,250", hypothesis, "en-us").cer,
            0.0,
            "{hypothesis}"
        );
    }
    assert_eq!(
        rates(
            "It costs 1.5 dollars",
            "it costs one point five dollars",
            "en-us"
        )
        .wer,
        Some(0.0)
    );
    assert_eq!(
        rates("See you at 3 pm", "See you at 3 p.m.", "en-us").cer,
        0.0
    );
    assert_eq!(
        rates("See you at 3pm", "see you at three PM", "en-us").cer,
        0.0
    );
    // "1,250" is 1.25 where the comma is the decimal point, 1250 where it groups thousands.
    assert_eq!(norm("1,250", "de"), "eins komma zwei fünf null");
    assert_eq!(norm("1.250", "de"), "eintausendzweihundertfünfzig");
    assert_eq!(
        norm("1.250,5", "it"),
        "milleduecentocinquanta virgola cinque"
    );
    assert_eq!(norm("1,5", "es"), norm("1.5", "es"));
    assert_eq!(rates("1 250 €", "mille deux cent cinquante", "fr").cer, 0.0);
    assert_eq!(rates("1\u{202F}250 €", "1250", "fr").cer, 0.0);
    assert_eq!(rates("1\u{A0}250", "1,250", "en-us").cer, 0.0);
    assert_eq!(rates("1,25,000", "एक लाख पच्चीस हज़ार", "hi").cer, 0.0);
    assert_eq!(rates("१२५०", "1250", "hi").cer, 0.0);
    assert_eq!(rates("1250円", "千二百五十円", "ja").cer, 0.0);
    assert_eq!(rates("1,250", "一千二百五十", "zh").cer, 0.0);
}

#[test]
fn codes_and_leading_zeros_are_said_digit_by_digit() {
    assert_eq!(norm("007", "en-us"), "zero zero seven");
    assert_eq!(norm("1234567890123", "en-us").split(' ').count(), 13);
    assert_eq!(norm("0.25", "fr"), "zéro virgule deux cinq");
    // A list is not a number with thousands.
    assert_eq!(norm("1,2,3", "en-us"), "one two three");
}

#[test]
fn precomposed_and_decomposed_accents_are_the_same() {
    assert_eq!(rates("café", "cafe\u{301}", "fr").cer, 0.0);
    assert_eq!(norm("CAFE\u{301}", "fr"), "café");
    // Hindi's nukta letters: ज़ typed as one character or as ज + nukta.
    assert_eq!(rates("\u{095B}रा", "\u{091C}\u{093C}रा", "hi").cer, 0.0);
    // Full-width letters and ligatures are their plain forms.
    assert_eq!(norm("ＡＢＣ ﬁne", "en-us"), "abc fine");
}

#[test]
fn apostrophes_inside_words_are_kept_and_quotes_are_not() {
    assert_eq!(rates("Don’t stop", "don't stop", "en-us").cer, 0.0);
    assert_eq!(norm("'quoted' l’eau", "fr"), "quoted l'eau");
    assert!(rates("it's here", "its here", "en-us").cer > 0.0);
}

#[test]
fn invisible_characters_do_not_split_words() {
    // ZWJ/ZWNJ shape Devanagari conjuncts; an emoji and its variation selector go entirely.
    assert_eq!(norm("क\u{094D}\u{200D}ष", "hi"), "क\u{094D}ष");
    assert_eq!(norm("I ❤\u{FE0F} you", "en-us"), "i you");
    assert_eq!(norm("co\u{00AD}operate", "en-us"), "cooperate");
}

#[test]
fn a_different_sentence_is_mostly_wrong() {
    let r = rates(
        "The quick brown fox jumps over the lazy dog",
        "Il pleut depuis trois jours sur la ville",
        "en-us",
    );
    assert!(r.cer >= 0.5, "{}", r.cer);
    assert_eq!(r.wer, Some(1.0));
}

#[test]
fn empty_texts() {
    assert_eq!(
        error_rates("¿¡…!?", "anything", "es"),
        Err(ErrorRateError::EmptyReference)
    );
    assert_eq!(
        error_rates("", "", "ja"),
        Err(ErrorRateError::EmptyReference)
    );
    assert_eq!(
        rates("bonjour", "", "fr"),
        ErrorRates {
            cer: 1.0,
            wer: Some(1.0)
        }
    );
    assert_eq!(rates("bonjour", "...", "fr").cer, 1.0);
}

#[test]
fn rates_are_not_clamped() {
    let r = rates("yes", "yes yes yes", "en-us");
    assert_eq!(r.wer, Some(2.0));
    assert!((r.cer - 8.0 / 3.0).abs() < 1e-6);
}

#[test]
fn language_codes() {
    assert!(error_rates("a", "a", "PT_BR").is_ok());
    assert!(error_rates("a", "a", " en ").is_ok());
    let error = error_rates("a", "a", "ko").unwrap_err();
    assert_eq!(error, ErrorRateError::UnknownLanguage { code: "ko".into() });
    assert!(error.to_string().contains("en-us, en-gb"), "{error}");
}

#[test]
fn levenshtein() {
    let chars = |s: &str| s.chars().collect::<Vec<_>>();
    assert_eq!(distance::distance(&chars("kitten"), &chars("sitting")), 3);
    assert_eq!(distance::distance(&chars(""), &chars("abc")), 3);
    assert_eq!(distance::distance(&chars("abc"), &chars("")), 3);
    assert_eq!(distance::distance(&chars("flaw"), &chars("lawn")), 2);
}

#[test]
fn cardinals() {
    let cases: &[(Orthography, u64, &str)] = &[
        (Orthography::English, 0, "zero"),
        (Orthography::English, 115, "one hundred fifteen"),
        (Orthography::English, 2_000_021, "two million twenty one"),
        (
            Orthography::English,
            1_000_000_000_000,
            "one thousand billion",
        ),
        (Orthography::French, 21, "vingt et un"),
        (Orthography::French, 71, "soixante et onze"),
        (Orthography::French, 80, "quatre vingts"),
        (Orthography::French, 81, "quatre vingt un"),
        (Orthography::French, 97, "quatre vingt dix sept"),
        (Orthography::French, 200, "deux cents"),
        (Orthography::French, 201, "deux cent un"),
        (Orthography::French, 80_000, "quatre vingt mille"),
        (Orthography::French, 200_000_000, "deux cents millions"),
        (Orthography::French, 1_001, "mille un"),
        (Orthography::Spanish, 100, "cien"),
        (Orthography::Spanish, 101, "ciento uno"),
        (Orthography::Spanish, 21_000, "veintiún mil"),
        (Orthography::Spanish, 31_001, "treinta y un mil uno"),
        (Orthography::Spanish, 1_000_000, "un millón"),
        (
            Orthography::Spanish,
            2_500_000_000,
            "dos mil quinientos millones",
        ),
        (Orthography::Spanish, 555, "quinientos cincuenta y cinco"),
        (Orthography::Italian, 21, "ventuno"),
        (Orthography::Italian, 28, "ventotto"),
        (Orthography::Italian, 23, "ventitré"),
        (Orthography::Italian, 3, "tre"),
        (Orthography::Italian, 180, "centottanta"),
        (Orthography::Italian, 1_250, "milleduecentocinquanta"),
        (Orthography::Italian, 23_000, "ventitremila"),
        (Orthography::Italian, 1_000_003, "un milione tre"),
        (Orthography::Italian, 3_000_000_000, "tre miliardi"),
        (Orthography::Portuguese, 100, "cem"),
        (Orthography::Portuguese, 101, "cento e um"),
        (Orthography::Portuguese, 1_200, "mil e duzentos"),
        (Orthography::Portuguese, 1_250, "mil duzentos e cinquenta"),
        (Orthography::Portuguese, 2_005, "dois mil e cinco"),
        (Orthography::Portuguese, 16, "dezesseis"),
        (Orthography::Portuguese, 2_000_000, "dois milhões"),
        (Orthography::German, 1, "eins"),
        (Orthography::German, 21, "einundzwanzig"),
        (Orthography::German, 101, "einhunderteins"),
        (Orthography::German, 1_250, "eintausendzweihundertfünfzig"),
        (Orthography::German, 1_000_000, "eine million"),
        (
            Orthography::German,
            21_000_000_000,
            "einundzwanzig milliarden",
        ),
        (Orthography::Hindi, 0, "शून्य"),
        (Orthography::Hindi, 101, "एक सौ एक"),
        (Orthography::Hindi, 125_000, "एक लाख पच्चीस हज़ार"),
        (Orthography::Hindi, 10_000_000, "एक करोड़"),
        (Orthography::Japanese, 10, "十"),
        (Orthography::Japanese, 1_250, "千二百五十"),
        (Orthography::Japanese, 10_000, "一万"),
        (Orthography::Japanese, 100_000_001, "一億一"),
        (Orthography::Chinese, 10, "十"),
        (Orthography::Chinese, 110, "一百一十"),
        (Orthography::Chinese, 101, "一百零一"),
        (Orthography::Chinese, 1_010, "一千零一十"),
        (Orthography::Chinese, 10_050, "一万零五十"),
        (Orthography::Chinese, 125_000, "十二万五千"),
        (Orthography::Chinese, 100_000_001, "一亿零一"),
        (Orthography::Chinese, 100_010_000, "一亿零一万"),
    ];
    for &(orthography, n, expected) in cases {
        assert_eq!(cardinal(n, orthography), expected, "{orthography:?} {n}");
    }
}

#[test]
fn every_cardinal_is_words_only() {
    // No language may panic, leave a digit, or double a space for any number it says.
    let orthographies = [
        Orthography::English,
        Orthography::French,
        Orthography::Spanish,
        Orthography::Italian,
        Orthography::Portuguese,
        Orthography::German,
        Orthography::Hindi,
        Orthography::Japanese,
        Orthography::Chinese,
    ];
    let samples = (0..=2_000u64)
        .chain((0..40u32).map(|k| 10u64.pow(k % 20) + u64::from(k)))
        .chain([u64::MAX, 999_999_999_999, 1_000_000_000_000]);
    for n in samples {
        for orthography in orthographies {
            let words = cardinal(n, orthography);
            assert!(!words.is_empty(), "{orthography:?} {n}");
            assert!(
                !words.contains("  ") && words.trim() == words,
                "{orthography:?} {n}: {words:?}"
            );
            assert!(
                !words.chars().any(|c| c.is_ascii_digit()),
                "{orthography:?} {n}: {words}"
            );
        }
    }
}

/// jiwer's figures on normalised pairs (tests/fixtures/error_rate/jiwer_reference.py).
#[test]
fn agrees_with_jiwer() {
    let fixture: serde_json::Value = serde_json::from_str(include_str!(
        "../../../tests/fixtures/error_rate/jiwer.json"
    ))
    .expect("fixture parses");
    let cases = fixture["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let text = |key: &str| case[key].as_str().expect(key);
        let (language, reference, hypothesis) =
            (text("language"), text("reference"), text("hypothesis"));
        assert_eq!(
            norm(reference, language),
            reference,
            "fixture is normalised"
        );
        assert_eq!(
            norm(hypothesis, language),
            hypothesis,
            "fixture is normalised"
        );
        let r = rates(reference, hypothesis, language);
        let cer = case["cer"].as_f64().expect("cer");
        assert!(
            (f64::from(r.cer) - cer).abs() < 1e-6,
            "{case}: cer {}",
            r.cer
        );
        match (r.wer, case["wer"].as_f64()) {
            (Some(wer), Some(expected)) => {
                assert!(
                    (f64::from(wer) - expected).abs() < 1e-6,
                    "{case}: wer {wer}"
                )
            }
            (None, None) => {}
            (wer, expected) => panic!("{case}: wer {wer:?}, jiwer {expected:?}"),
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Any text scores or is refused, never panics, and the rates are finite and >= 0.
    #[test]
    fn any_text_scores(
        reference in proptest::prelude::any::<String>(),
        hypothesis in proptest::prelude::any::<String>(),
    ) {
        for language in ["en-us", "fr", "hi", "ja"] {
            match error_rates(&reference, &hypothesis, language) {
                Ok(r) => {
                    proptest::prop_assert!(r.cer.is_finite() && r.cer >= 0.0);
                    proptest::prop_assert!(r.wer.is_none_or(|w| w.is_finite() && w >= 0.0));
                }
                Err(e) => proptest::prop_assert_eq!(e, ErrorRateError::EmptyReference),
            }
        }
    }

    /// Normalising twice changes nothing, for the texts voxdeck is given.
    #[test]
    fn normalising_is_idempotent(text in "[a-zA-Zéèçñü0-9 ,.'’!?$%€:-]{0,40}") {
        for language in ["en-us", "fr", "es", "de", "it", "pt-br"] {
            let once = norm(&text, language);
            proptest::prop_assert_eq!(norm(&once, language), once.clone());
        }
    }
}
