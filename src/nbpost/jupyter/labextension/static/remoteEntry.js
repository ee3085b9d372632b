// nbpost's JupyterLab extension, written by hand instead of built with webpack.
//
// JupyterLab loads a prebuilt extension by running this script and calling the container it
// registers on window._JUPYTERLAB (the module-federation protocol: init(shareScope), then
// get("./extension") returning a module factory). The plugin needs no shared packages (it only
// uses the application object JupyterLab hands it), so there is nothing to bundle and no Node
// build step in nbpost's packaging.
//
// What it does for .qmd posts (the notebook itself comes from nbpost's server extension,
// GET ...?type=notebook):
// - registers the .qmd file type with the text editor as its default viewer (a double click
//   opens the text) and the Notebook viewer as an alternative (Open With -> Notebook);
// - in a post opened as a notebook, a kernel attaching (JupyterLab then writes the kernel's
//   name and language into the notebook metadata) does not mark the tab as changed: looking
//   at a post is not editing it, and an autosave of a clean tab writes nothing;
// - a post that cannot be opened as a notebook (invalid front matter...) closes its tab after
//   JupyterLab's error dialog, instead of leaving an empty notebook that asks to be saved.
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
  // The first factory is the default viewer; the others are offered in "Open With".
  var FACTORIES = ["Editor", "Notebook"];
  // Notebook metadata a kernel writes when it attaches.
  var KERNEL_KEYS = { kernelspec: true, language_info: true };

  function isPost(path) {
    return /\.qmd$/i.test(path || "");
  }

  // A kernel's metadata landing in a clean notebook keeps it clean. The shared model tells
  // its listeners about a metadata change before it sets the dirty flag, so the flag is
  // cleared once the change is done (a microtask later, before anything else can run).
  function keepCleanWhenAKernelAttaches(model) {
    model.metadataChanged.connect(function (sender, change) {
      if (!KERNEL_KEYS[change.key] || model.dirty) {
        return;
      }
      Promise.resolve().then(function () {
        if (!model.isDisposed) {
          model.dirty = false;
        }
      });
    });
  }

  // JupyterLab closes a document whose content failed to load; an empty notebook model counts
  // as changed, so the close would ask "Save your work?". Nothing was loaded, so nothing can
  // be lost: mark it clean before closing.
  function closeCleanlyIfNeverLoaded(panel) {
    var close = panel.close;
    panel.close = function () {
      var context = panel.context;
      if (context && !context.isReady && context.model && !context.model.isDisposed) {
        context.model.dirty = false;
      }
      return close.apply(panel, arguments);
    };
  }

  function watchPostsOpenedAsNotebooks(registry) {
    var connected = false;
    function connect() {
      var factory = connected ? null : registry.getWidgetFactory("Notebook");
      if (!factory) {
        return;
      }
      connected = true;
      factory.widgetCreated.connect(function (sender, panel) {
        if (!isPost(panel.context && panel.context.path)) {
          return;
        }
        keepCleanWhenAKernelAttaches(panel.context.model);
        closeCleanlyIfNeverLoaded(panel);
      });
    }
    connect();
    if (!connected) {
      registry.changed.connect(connect); // the Notebook viewer registers after this plugin
    }
  }

  var plugin = {
    id: "nbpost:qmd-as-notebook",
    description: "Open .qmd posts in the text editor, or with Open With -> Notebook.",
    autoStart: true,
    activate: function (app) {
      app.docRegistry.addFileType(FILE_TYPE, FACTORIES);
      watchPostsOpenedAsNotebooks(app.docRegistry);
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
