import { StatusDot } from '@kubed/components';
import * as React from 'react';

// A state as the console shows one: kubed's StatusDot with the translated word (the colour
// repeats the word, never replaces it).
const DOT = {
  // kubed resolves palette names, then colour scales (colors.blue[2]); its 'primary' is the
  // word "green", which StatusDot cannot tint, so blue is named by its scale.
  green: 'success', blue: 'blue', orange: 'warning', red: 'error', grey: 'default',
};
const TONE = {
  Ready: 'green', loaded: 'green', present: 'green',
  Installing: 'blue', Scheduling: 'blue', PullingModel: 'blue', LoadingModel: 'blue', Progressing: 'blue',
  pulling: 'blue', Pulling: 'blue', Verifying: 'blue', Loading: 'blue', Pending: 'blue',
  Degraded: 'orange', partial: 'orange', Partial: 'orange', Stalled: 'orange', missing: 'orange', Missing: 'orange',
  Failed: 'red', failed: 'red',
};

export default function StateDot({ value, children, ...rest }) {
  const color = DOT[TONE[value] || 'grey'];
  return (
    <StatusDot color={color} motion={TONE[value] === 'blue'} data-state={value} {...rest}>
      {children}
    </StatusDot>
  );
}
