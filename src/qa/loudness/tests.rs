//! Against the R128 reference figures, on clips made here.

use super::*;

/// `seconds` of a 1 kHz sine whose peak is `dbfs`, at `rate`.
fn sine(dbfs: f64, seconds: f64, rate: u32) -> Clip {
    let amplitude = 10f64.powf(dbfs / 20.0);
    let n = (seconds * rate as f64) as usize;
    let samples = (0..n)
        .map(|i| {
            (amplitude * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / rate as f64).sin())
                as f32
        })
        .collect();
    Clip {
        sample_rate: rate,
        samples,
    }
}

fn integrated(clip: &Clip) -> f64 {
    measure(clip)
        .unwrap()
        .integrated_lufs
        .expect("gated blocks")
}

#[test]
fn a_sine_at_minus_20_dbfs_reads_minus_23_lufs_at_every_rate() {
    for rate in [8_000, 16_000, 24_000, 48_000] {
        let lufs = integrated(&sine(-20.0, 5.0, rate));
        assert!((lufs + 23.0).abs() <= 0.1, "{rate} Hz: {lufs} LUFS");
    }
}

#[test]
fn half_the_amplitude_reads_six_lu_lower_and_peaks_six_db_lower() {
    let loud = sine(-20.0, 5.0, 24_000);
    let quiet = Clip {
        sample_rate: loud.sample_rate,
        samples: loud.samples.iter().map(|s| s * 0.5).collect(),
    };
    let (a, b) = (measure(&loud).unwrap(), measure(&quiet).unwrap());
    let drop = a.integrated_lufs.unwrap() - b.integrated_lufs.unwrap();
    assert!((drop - 6.02).abs() < 0.05, "{drop} LU");
    let peak_drop = a.true_peak_dbtp.unwrap() - b.true_peak_dbtp.unwrap();
    assert!((peak_drop - 6.02).abs() < 0.05, "{peak_drop} dB");
    // A steady tone has no loudness range to speak of; under 3 s there is none at all.
    assert!(a.range_lu.unwrap() < 0.5, "{a:?}");
    assert_eq!(measure(&sine(-20.0, 2.5, 24_000)).unwrap().range_lu, None);
    assert_eq!(a.clipped_samples, 0);
}

#[test]
fn samples_at_full_scale_are_counted_as_clipped() {
    let mut clip = sine(-1.0, 2.0, 24_000);
    // Driven 6 dB into the rails, as a take normalised too far would be.
    for s in &mut clip.samples {
        *s = (*s * 2.0).clamp(-FULL_SCALE, FULL_SCALE);
    }
    let loudness = measure(&clip).unwrap();
    assert!(
        loudness.clipped_samples > clip.samples.len() as u64 / 3,
        "{loudness:?}"
    );
    assert!(loudness.true_peak_dbtp.unwrap() > -0.1, "{loudness:?}");
}

#[test]
fn silence_and_a_fifth_of_a_second_have_no_integrated_loudness() {
    let silence = Clip {
        sample_rate: 24_000,
        samples: vec![0.0; 24_000 * 3],
    };
    let loudness = measure(&silence).unwrap();
    assert_eq!(loudness.integrated_lufs, None);
    assert_eq!(loudness.true_peak_dbtp, None);
    let short = measure(&sine(-20.0, 0.2, 24_000)).unwrap();
    assert_eq!(short.integrated_lufs, None, "under one 400 ms block");
    assert!(short.true_peak_dbtp.is_some());
    let empty = Clip {
        sample_rate: 24_000,
        samples: Vec::new(),
    };
    assert_eq!(measure(&empty).unwrap().integrated_lufs, None);
    assert!(measure(&Clip {
        sample_rate: 0,
        samples: vec![0.1]
    })
    .is_err());
}

/// Two hours streamed in one-second chunks through one meter: nothing of the audio is
/// kept, and the figure is the same as for five seconds.
#[test]
fn two_hours_stream_through_one_meter() {
    let rate = 8_000;
    let second = sine(-20.0, 1.0, rate);
    let mut meter = LoudnessMeter::new(rate).unwrap();
    for _ in 0..2 * 3600 {
        meter.add(&second.samples);
    }
    let lufs = meter.finish().integrated_lufs.unwrap();
    assert!((lufs + 23.0).abs() <= 0.1, "{lufs} LUFS");
}

#[test]
fn the_spread_is_loudest_minus_quietest() {
    assert_eq!(spread([-23.0, -20.5, -26.0]), Some(5.5));
    assert_eq!(spread([-23.0]), None);
    assert_eq!(spread([-23.0, f64::NEG_INFINITY]), None);
}
