import { render } from 'solid-js/web';
import { App } from './app.js';
import { locale } from './lib/i18n.js';
import './styles.css';

document.documentElement.lang = locale();
render(() => <App />, document.getElementById('root')!);
