//! The textbook Curl-P, trit by trit, to check the fast one against.

pub(super) struct ReferenceCurl {
    pub(super) state: [i8; 729],
    rounds: usize,
}

const TRUTH_TABLE: [i8; 9] = [1, 0, -1, 1, -1, 0, -1, 1, 0];

impl ReferenceCurl {
    pub(super) fn new(rounds: usize) -> Self {
        ReferenceCurl {
            state: [0; 729],
            rounds,
        }
    }

    pub(super) fn transform(&mut self) {
        for _ in 0..self.rounds {
            let scratch = self.state;
            let mut index = 0usize;
            for out in self.state.iter_mut() {
                let previous = index;
                index = if index < 365 {
                    index + 364
                } else {
                    index - 365
                };
                *out = TRUTH_TABLE[(scratch[previous] + 3 * scratch[index] + 4) as usize];
            }
        }
    }

    pub(super) fn absorb(&mut self, trits: &[i8]) {
        if trits.is_empty() {
            self.transform();
        }
        for chunk in trits.chunks(243) {
            self.state[..chunk.len()].copy_from_slice(chunk);
            self.transform();
        }
    }

    pub(super) fn squeeze(&mut self, out: &mut [i8]) {
        if out.is_empty() {
            self.transform();
        }
        for chunk in out.chunks_mut(243) {
            chunk.copy_from_slice(&self.state[..chunk.len()]);
            self.transform();
        }
    }

    pub(super) fn rate(&self) -> [i8; 243] {
        let mut rate = [0; 243];
        rate.copy_from_slice(&self.state[..243]);
        rate
    }
}
