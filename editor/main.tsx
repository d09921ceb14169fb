import { render } from 'solid-js/web';
import { z } from 'zod';
import { nl } from 'zod/locales';
import { App } from './app.js';
import { locale } from './lib/i18n.js';
import './styles.css';

// the editor's own checks (engine schemas) carry Dutch messages; zod's defaults are Dutch too
z.config(nl());
document.documentElement.lang = locale();
render(() => <App />, document.getElementById('root')!);
