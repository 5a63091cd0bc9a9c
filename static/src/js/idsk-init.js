// Turns on ID-SK's scripted behaviour (accordion, tabs, search filter) once idsk-frontend.js has
// loaded. Pages stay complete without it: the components' no-JS states show all content.
document.body.classList.add("js-enabled");
window.GOVUKFrontend.initAll();
