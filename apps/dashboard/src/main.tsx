import { render } from 'preact';
import { App } from './app/app.component';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
