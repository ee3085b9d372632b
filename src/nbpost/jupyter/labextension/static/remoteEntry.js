// nbpost's JupyterLab extension, written by hand instead of built with webpack.
//
// JupyterLab loads a prebuilt extension by running this script and calling the container it
// registers on window._JUPYTERLAB (the module-federation protocol: init(shareScope), then
// get("./extension") returning a module factory). The plugin needs no shared packages (it only
// uses the application object JupyterLab hands it), so there is nothing to bundle and no Node
// build step in nbpost's packaging.
//
// It registers the .qmd file type for the Notebook viewer, which gives a .qmd post the entry
// "Open With -> Notebook" in the file browser. Double-clicking still opens the text editor.
// The notebook itself comes from nbpost's server extension (GET ...?type=notebook).
var _JUPYTERLAB;
(function () {
  "use strict";

  var FILE_TYPE = {
    name: "nbpost-quarto",
    displayName: "Quarto document",
    extensions: [".qmd"],
    mimeTypes: ["text/x-quarto-markdown"],
    contentType: "file",
    fileFormat: "text"
  };

  var plugin = {
    id: "nbpost:qmd-as-notebook",
    description: "Open .qmd posts with the Notebook viewer (Open With -> Notebook).",
    autoStart: true,
    activate: function (app) {
      app.docRegistry.addFileType(FILE_TYPE, ["Notebook"]);
    }
  };

  var extensionModule = { __esModule: true, default: [plugin] };

  _JUPYTERLAB = typeof _JUPYTERLAB === "undefined" ? {} : _JUPYTERLAB;
  _JUPYTERLAB.nbpost = {
    init: function () {
      return Promise.resolve();
    },
    get: function (module) {
      if (module !== "./extension") {
        return Promise.reject(new Error('Module "' + module + '" does not exist in container.'));
      }
      return Promise.resolve(function () {
        return extensionModule;
      });
    }
  };
})();
