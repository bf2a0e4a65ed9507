//! Pairing a device, step by step, as the pairing page shows it; and its
//! failures in words: what happened and what to do.

use std::time::Duration;

use mam_lib::ternary::Hash81;

/// How long My Home waits for each of the device's answers. A device
/// reads its address every few seconds (`pi-reader run --poll-interval`,
/// 5 s) and proves its answers, so a minute covers a slow node; a device
/// that got a claim with a wrong secret stays silent (v2: it answers only
/// claims that prove the secret).
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// The steps of pairing, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PairStep {
    /// `CLAIM_DEVICE` on its way (proof of work, then the node).
    SendingClaim,
    /// Waiting for the device's `CHALLENGE`.
    AwaitingChallenge,
    /// `ANSWER_CHALLENGE` on its way.
    SendingAnswer,
    /// Waiting for the device's `CLAIM_RESULT`.
    AwaitingResult,
    /// The device accepted; `DEVICE_ADDED` on its way to the channel.
    RecordingDevice,
    /// Paired and recorded.
    Done,
}

impl PairStep {
    /// Every step, in order.
    pub const ALL: [PairStep; 6] = [
        PairStep::SendingClaim,
        PairStep::AwaitingChallenge,
        PairStep::SendingAnswer,
        PairStep::AwaitingResult,
        PairStep::RecordingDevice,
        PairStep::Done,
    ];

    /// The step in words.
    pub fn describe(self) -> &'static str {
        match self {
            PairStep::SendingClaim => "Sending your claim to the device (CLAIM_DEVICE)",
            PairStep::AwaitingChallenge => "Waiting for the device's challenge (CHALLENGE)",
            PairStep::SendingAnswer => "Answering the challenge (ANSWER_CHALLENGE)",
            PairStep::AwaitingResult => "Waiting for the device's answer (CLAIM_RESULT)",
            PairStep::RecordingDevice => "Recording the device on your channel (DEVICE_ADDED)",
            PairStep::Done => "Paired",
        }
    }
}

/// Why pairing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairFailure {
    /// No answer from the device in time.
    NoAnswer {
        /// The step that waited.
        step: PairStep,
    },
    /// The device refused.
    Refused {
        /// The device's reason.
        reason: String,
    },
    /// The node could not be reached or refused a request.
    Node {
        /// The client's error.
        error: String,
    },
    /// The browser could not draw random numbers.
    Random {
        /// Why.
        error: String,
    },
}

impl PairFailure {
    /// What happened, in one sentence.
    pub fn title(&self) -> String {
        match self {
            PairFailure::NoAnswer {
                step: PairStep::AwaitingChallenge,
            } => "The device did not answer your claim.".into(),
            PairFailure::NoAnswer { .. } => "The device stopped answering.".into(),
            PairFailure::Refused { reason } if reason.contains("already paired") => {
                "The device is already paired with a home.".into()
            }
            PairFailure::Refused { reason } => format!("The device refused: {reason}."),
            PairFailure::Node { .. } => "The node could not be reached.".into(),
            PairFailure::Random { .. } => "This browser cannot make secure random numbers.".into(),
        }
    }

    /// What to do about it.
    pub fn advice(&self) -> String {
        match self {
            PairFailure::NoAnswer {
                step: PairStep::AwaitingChallenge,
            } => format!(
                "A device answers only a claim with its current pairing secret, so the secret \
                 is most likely wrong: run `pi-reader info` on the device and enter its address \
                 and secret again. If they are right, check that the device is running and uses \
                 the same node as this app (waited {} s).",
                ANSWER_TIMEOUT.as_secs()
            ),
            PairFailure::NoAnswer { .. } => {
                "Check that the device is running and online, then try again.".into()
            }
            PairFailure::Refused { reason } if reason.contains("already paired") => {
                "Its owner can remove it in My Home (Devices > Remove), or whoever has the \
                 device in hand can run `pi-reader unpair` on it; then pair it again with the \
                 new secret `pi-reader info` shows."
                    .into()
            }
            PairFailure::Refused { .. } => {
                "Check the pairing secret with `pi-reader info` on the device and try again.".into()
            }
            PairFailure::Node { error } => format!(
                "Check the node URL in Settings and that the node is running, then try again. \
                 ({error})"
            ),
            PairFailure::Random { error } => format!("Try another browser. ({error})"),
        }
    }
}

/// Where a pairing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingProgress {
    /// The device being paired.
    pub device: Hash81,
    /// The step under way (or reached, once done or failed).
    pub step: PairStep,
    /// Why it stopped, if it failed.
    pub failure: Option<PairFailure>,
}

impl PairingProgress {
    /// A pairing of `device` about to send its claim.
    pub fn start(device: Hash81) -> PairingProgress {
        PairingProgress {
            device,
            step: PairStep::SendingClaim,
            failure: None,
        }
    }

    /// Moves on to `step`; a failed pairing stays failed, and a step never
    /// goes back.
    pub fn advance(&mut self, step: PairStep) {
        if self.failure.is_none() && step > self.step {
            self.step = step;
        }
    }

    /// Stops with `failure` (the first failure counts).
    pub fn fail(&mut self, failure: PairFailure) {
        if self.failure.is_none() && self.step != PairStep::Done {
            self.failure = Some(failure);
        }
    }

    /// Whether the pairing has ended, either way.
    pub fn is_finished(&self) -> bool {
        self.failure.is_some() || self.step == PairStep::Done
    }

    /// How each step stands, for the step list.
    pub fn step_states(&self) -> Vec<(PairStep, StepState)> {
        PairStep::ALL
            .iter()
            .map(|&step| {
                let state = if step < self.step || (step == self.step && step == PairStep::Done) {
                    StepState::Done
                } else if step == self.step {
                    if self.failure.is_some() {
                        StepState::Failed
                    } else {
                        StepState::Active
                    }
                } else {
                    StepState::Waiting
                };
                (step, state)
            })
            .collect()
    }
}

/// How one step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Done.
    Done,
    /// Under way.
    Active,
    /// Where it failed.
    Failed,
    /// Not reached.
    Waiting,
}
