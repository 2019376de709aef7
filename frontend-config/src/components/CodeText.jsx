import * as React from 'react';

import { codeSegments } from '../statusLogic.js';
import { Code } from './ui.jsx';

// A catalog text whose `commands` and `keys` are marked with backticks, with those parts as
// code spans (the backticks are markup, not text to show).
export default function CodeText({ text }) {
  return (
    <>
      {codeSegments(text).map((segment, index) =>
        segment.code ? <Code key={index}>{segment.text}</Code> : <React.Fragment key={index}>{segment.text}</React.Fragment>,
      )}
    </>
  );
}
