// react-dom's production profiling build: production React with <Profiler> onRender timings.
import { createRoot, flushSync } from 'react-dom/profiling';
import { mountUploaderBench } from './uploaderApp';

mountUploaderBench({ createRoot, flushSync });
