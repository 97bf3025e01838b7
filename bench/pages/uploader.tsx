// Plain production react-dom: <Profiler> callbacks do not run here (used where timing must be untouched).
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { mountUploaderBench } from './uploaderApp';

mountUploaderBench({ createRoot, flushSync });
