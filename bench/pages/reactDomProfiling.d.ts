// @types/react-dom has no typings for the `react-dom/profiling` entry: it is react-dom/client plus
// react-dom's other exports, built with Profiler timings enabled.
declare module 'react-dom/profiling' {
  export { createRoot, hydrateRoot } from 'react-dom/client';
  export { flushSync } from 'react-dom';
}
