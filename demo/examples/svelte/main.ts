import { mount } from 'svelte';
import 'mixpeek-uploader/define'; // registers <mixpeek-uploader>
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
