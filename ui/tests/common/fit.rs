//! Sample voice fits for the fit popup's views.

use voxdeck_ui::snapshot::*;

/// A fit of it's voice 96 evaluations into a budget of 240, in 135 s, scores climbing.
pub fn fitting(outcome: FitOutcome) -> Popup {
    let points = (0..12)
        .map(|g| {
            let t = g as f32 / 11.0;
            FitPoint {
                evaluations: 8 * (g + 1),
                probe: 0.70 + 0.16 * t.sqrt(),
                held_out: vec![0.66 + 0.12 * t.sqrt(), 0.58 + 0.08 * t],
            }
        })
        .collect();
    Popup::Fitting(FitView {
        code: "it".into(),
        evaluations: 96,
        budget: 240,
        elapsed_seconds: 135.0,
        judges: vec!["ge2e".into(), "d-vector".into()],
        points,
        outcome,
    })
}

/// The fit above, ended: the fitted voice beats the best stock voice on both judges.
pub fn fitted() -> FitOutcome {
    FitOutcome::Fitted {
        voice: "fit:it-3f2a9c1d-s1".into(),
        stock_voice: "if_sara".into(),
        stock: vec![0.661, 0.583],
        blend: Some(("if_sara:0.5+im_nicola:0.5".into(), vec![0.702, 0.571])),
        fitted: vec![0.779, 0.655],
        reused: false,
    }
}
