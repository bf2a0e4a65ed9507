// The channel state both MAM references and the Rust CLI start from: a new
// channel (start 0, one key per tree) unless `position` says otherwise. The
// side key is kept only in restricted mode.

/** Channel state for the references; sideKey only in restricted mode. */
export function channelState(seed, mode, sideKey, security, position = {}) {
  return {
    seed,
    mode,
    sideKey: mode === 'restricted' ? sideKey : null,
    security,
    start: 0,
    count: 1,
    nextCount: position.count ?? 1,
    index: 0,
    ...position,
  };
}
