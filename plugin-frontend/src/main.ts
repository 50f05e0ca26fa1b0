/** The viewer's entry point: defines the elements; index.html places `<lb-app>`. */
import './components/lb-app.js';
