// Colours of the KubeSphere console (kubed palette), so the pages sit well inside it.
export const colors = {
  text: '#242e42',
  muted: '#79879c',
  border: '#e3e9ef',
  background: '#f9fbfd',
  card: '#ffffff',
  green: '#55bc8a',
  blue: '#329dce',
  orange: '#f5a623',
  red: '#ca2621',
  grey: '#abb4be',
  code: '#f1f4f7',
};

const TONES = {
  // phases
  Ready: 'green',
  Installing: 'blue',
  Scheduling: 'blue',
  PullingModel: 'blue',
  LoadingModel: 'blue',
  Degraded: 'orange',
  Failed: 'red',
  Unknown: 'grey',
  // component states
  Progressing: 'blue',
  Disabled: 'grey',
  // model states
  loaded: 'green',
  present: 'green',
  pulling: 'blue',
  partial: 'orange',
  absent: 'grey',
  failed: 'red',
  // finding severities
  error: 'red',
  warning: 'orange',
  info: 'blue',
};

export function tone(value) {
  return colors[TONES[value] || 'grey'];
}
