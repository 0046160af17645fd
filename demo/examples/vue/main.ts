import { createApp } from 'vue';
import 'mixpeek-uploader/define'; // registers <mixpeek-uploader>
import App from './App.vue';

createApp(App).mount('#app');
