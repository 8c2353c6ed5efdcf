import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createCabinetI18n, initialLanguage } from './i18n/i18n.ts';
import { createCabinetRouter } from './router/router.ts';
import { useSessionStore } from './stores/session.ts';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(createCabinetI18n(initialLanguage(window.localStorage, navigator.languages)));
app.use(createCabinetRouter(useSessionStore(pinia)));
app.mount('#app');
