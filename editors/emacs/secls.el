;;; secls.el --- secls, a live security review of Python code, through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))

;;; Commentary:

;; Registers `secls serve' with eglot for Python buffers (and pip requirement files where
;; `pip-requirements-mode' is installed).  Then `M-x eglot', or `eglot-ensure' in a mode hook.
;; Eglot runs one server per buffer: this entry takes the place of pylsp/pyright for Python.

;;; Code:

(require 'eglot)

(defgroup secls nil
  "secls, a live security review of Python code."
  :group 'tools)

(defcustom secls-command '("secls" "serve")
  "The command that runs the secls language server over stdio."
  :type '(repeat string))

(defcustom secls-initialization-options '(:debounceMs 150)
  "The initializationOptions sent to secls, as a plist."
  :type 'plist)

(defun secls-eglot-contact (&optional _interactive)
  "The eglot contact of secls, read when a server starts (so customizations apply)."
  `(,@secls-command :initializationOptions ,secls-initialization-options))

(add-to-list 'eglot-server-programs
             '((python-mode python-ts-mode pip-requirements-mode) . secls-eglot-contact))

(provide 'secls)
;;; secls.el ends here
