//! Screens drawn from sample snapshots, compared with the accepted `.snap` files.

mod common;

use common::*;
use insta::assert_snapshot;
use voxdeck_ui::snapshot::*;

#[test]
fn empty_job() {
    let (terminal, areas) = render(&common::empty_job(), 80, 24);
    assert!(!areas.log.is_empty());
    assert_snapshot!(terminal.backend());
}

#[test]
fn default_80x24() {
    let (terminal, _) = render(&demo_idle(), 80, 24);
    assert_snapshot!(terminal.backend());
}

#[test]
fn run_in_progress() {
    let (terminal, _) = render(&running(), 120, 32);
    assert_snapshot!(terminal.backend());
}

#[test]
fn run_in_progress_80x24() {
    let (terminal, _) = render(&running(), 80, 24);
    assert_snapshot!(terminal.backend());
}

#[test]
fn done_with_one_failure() {
    let (terminal, _) = render(&done_with_failure(), 100, 28);
    assert_snapshot!(terminal.backend());
}

#[test]
fn gpu_two_devices() {
    let mut snap = done_with_failure();
    snap.gpu = two_gpus();
    snap.playback = Playback::Stopped;
    let (terminal, _) = render(&snap, 100, 40);
    assert_snapshot!(terminal.backend());
}

#[test]
fn no_nvml() {
    let mut snap = demo_idle();
    snap.gpu = common::no_nvml();
    snap.playback = Playback::Unavailable("no output device: ALSA found no card".into());
    let (terminal, _) = render(&snap, 80, 30);
    assert_snapshot!(terminal.backend());
}

#[test]
fn help_popup() {
    let mut snap = demo_idle();
    snap.popup = Some(Popup::Help);
    let (terminal, _) = render(&snap, 80, 24);
    assert_snapshot!(terminal.backend());
}

#[test]
fn confirm_cancel_popup() {
    let mut snap = running();
    snap.popup = Some(Popup::ConfirmCancel);
    let (terminal, _) = render(&snap, 80, 24);
    assert_snapshot!(terminal.backend());
}

#[test]
fn edit_text_popup() {
    let mut snap = demo_idle();
    snap.popup = Some(Popup::EditText {
        code: "ja".into(),
        text: "皆さん、こんにちは。番組へようこそ。今日は多言語音声合成についてお話しします。"
            .into(),
    });
    let (terminal, _) = render(&snap, 60, 16);
    assert_snapshot!(terminal.backend());
}

#[test]
fn open_clip_popup() {
    let mut snap = common::empty_job();
    snap.popup = Some(Popup::OpenClip {
        input: "/home/operator/recordings/2024/interviews/guest-intro-take3.flac".into(),
    });
    let (terminal, _) = render(&snap, 80, 24);
    assert_snapshot!(terminal.backend());
}

#[test]
fn voice_ranking_popup() {
    let mut snap = done_with_failure();
    snap.popup = Some(common::voice_ranking());
    let (terminal, _) = render(&snap, 100, 30);
    assert_snapshot!(terminal.backend());
}

#[test]
fn takes_popup() {
    let mut snap = done_with_failure();
    snap.popup = Some(common::takes());
    let (terminal, _) = render(&snap, 100, 30);
    assert_snapshot!(terminal.backend());
}

#[test]
fn fit_popup() {
    let mut snap = done_with_failure();
    snap.popup = Some(common::fitting(FitOutcome::Searching));
    let (terminal, _) = render(&snap, 100, 30);
    assert_snapshot!("fit_popup_searching", terminal.backend());
    snap.popup = Some(common::fitting(common::fitted()));
    let (terminal, _) = render(&snap, 100, 30);
    assert_snapshot!("fit_popup_fitted", terminal.backend());
    let (terminal, _) = render(&snap, 44, 12);
    assert_snapshot!("fit_popup_44x12", terminal.backend());
}

#[test]
fn voice_qa_popups_narrow() {
    let mut snap = done_with_failure();
    snap.popup = Some(common::takes());
    let (terminal, _) = render(&snap, 44, 12);
    assert_snapshot!("takes_popup_44x12", terminal.backend());
    snap.popup = Some(common::voice_ranking());
    let (terminal, _) = render(&snap, 44, 12);
    assert_snapshot!("voice_ranking_popup_44x12", terminal.backend());
}

#[test]
fn inline_edit_narrow() {
    let mut snap = demo_idle();
    snap.editing_inline = true;
    lang(&mut snap, "fr").text =
        "Bonjour à tous, cette phrase est plus longue que la cellule".into();
    let (terminal, areas) = render(&snap, 50, 18);
    assert!(
        areas.log.is_empty(),
        "narrow screens show no log unless it has the focus"
    );
    assert_snapshot!(terminal.backend());
}

#[test]
fn tiny_20x5() {
    let (terminal, _) = render(&running(), 20, 5);
    assert_snapshot!(terminal.backend());
}

#[test]
fn one_by_one() {
    let (terminal, areas) = render(&running(), 1, 1);
    assert!(areas.log.is_empty());
    assert_snapshot!(terminal.backend());
}

#[test]
fn zero_by_zero_draws_nothing() {
    // TestBackend cannot print a zero-width buffer, so this one only has to not panic.
    let (_, areas) = render(&running(), 0, 0);
    assert!(areas.log.is_empty());
}
