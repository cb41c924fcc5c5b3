import './styles.css';
import { apiKeyStore } from './api-key-store.ts';
import { batchPage } from './batch-page.ts';
import { batchesPage } from './batches-page.ts';
import { conversationPage } from './conversation-page.ts';
import { element } from './element.ts';
import { playgroundPage } from './playground-page.ts';
import { promptPage } from './prompt-page.ts';
import { promptsPage } from './prompts-page.ts';
import { startRouter } from './router.ts';
import { usagePage } from './usage-page.ts';

const main = document.getElementById('main');
if (!main) throw new Error('index.html has no <main id="main">');

// Forgetting the key is how a shared screen is left; the next request asks again. It shows only
// while the tab holds a key: a server without keys (laptop mode) never asks for one.
const forget = element('button', { type: 'button', class: 'link forget-key' }, 'Forget key');
const showForget = () => {
  forget.hidden = apiKeyStore.get() === undefined;
};
showForget();
apiKeyStore.onChange(showForget);
forget.addEventListener('click', () => {
  apiKeyStore.clear();
  location.reload();
});
document.querySelector('.top-bar')?.append(forget);

startRouter(
  [
    { pattern: /^\/$/, section: 'playground', render: playgroundPage },
    { pattern: /^\/prompts\/?$/, section: 'prompts', render: promptsPage },
    { pattern: /^\/prompts\/([^/]+)$/, section: 'prompts', render: promptPage },
    { pattern: /^\/conversations\/([^/]+)$/, section: 'prompts', render: conversationPage },
    { pattern: /^\/batches\/?$/, section: 'batches', render: batchesPage },
    { pattern: /^\/batches\/([^/]+)$/, section: 'batches', render: batchPage },
    { pattern: /^\/usage\/?$/, section: 'usage', render: usagePage },
  ],
  main,
);
