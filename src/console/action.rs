//! What the operator can ask for, independent of which key asked.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    FocusNext,
    FocusPrev,
    Up,
    Down,
    Toggle,
    SelectAll,
    SelectNone,
    /// Edit the cursor row's text in place (one line).
    EditInline,
    /// Edit the cursor row's text in a popup (long text).
    EditText,
    CycleVoice,
    /// Rank the stock voices against the source clip (nearest-voice matching).
    MatchVoice,
    /// Fit a Kokoro voice to the source clip for the cursor row, or show the fit going on.
    FitVoice,
    /// Show the selected language's takes.
    Takes,
    WorkersUp,
    WorkersDown,
    CycleMode,
    CycleDevice,
    Run,
    Cancel,
    RerunFailedOrSelected,
    PlayResult,
    PlaySource,
    ToggleAb,
    StopPlayback,
    OpenClip,
    /// Put the source clip's transcript in the cursor row's text (a row of the language
    /// Whisper heard); the job file keeps its own.
    UseTranscript,
    LogMore,
    LogLess,
    Help,
    Quit,
    /// Ctrl-C: quit, confirming first while a run is going.
    Interrupt,
    // Inside popups.
    Input(char),
    Backspace,
    Confirm,
    Dismiss,
}

impl Action {
    /// The name used in the keymap config file.
    pub fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "focus_next" => Action::FocusNext,
            "focus_prev" => Action::FocusPrev,
            "up" => Action::Up,
            "down" => Action::Down,
            "toggle" => Action::Toggle,
            "select_all" => Action::SelectAll,
            "select_none" => Action::SelectNone,
            "edit_inline" => Action::EditInline,
            "edit_text" => Action::EditText,
            "cycle_voice" => Action::CycleVoice,
            "match_voice" => Action::MatchVoice,
            "fit_voice" => Action::FitVoice,
            "takes" => Action::Takes,
            "workers_up" => Action::WorkersUp,
            "workers_down" => Action::WorkersDown,
            "cycle_mode" => Action::CycleMode,
            "cycle_device" => Action::CycleDevice,
            "run" => Action::Run,
            "cancel" => Action::Cancel,
            "rerun" => Action::RerunFailedOrSelected,
            "play_result" => Action::PlayResult,
            "play_source" => Action::PlaySource,
            "toggle_ab" => Action::ToggleAb,
            "stop_playback" => Action::StopPlayback,
            "open_clip" => Action::OpenClip,
            "use_transcript" => Action::UseTranscript,
            "log_more" => Action::LogMore,
            "log_less" => Action::LogLess,
            "help" => Action::Help,
            "quit" => Action::Quit,
            _ => return None,
        })
    }
}
