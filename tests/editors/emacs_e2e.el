;;; emacs_e2e.el --- drive secls in batch Emacs through editors/emacs/secls.el  -*- lexical-binding: t; -*-
;; Environment: SECLS_EXE, SECLS_EDITOR_DIR (editors/emacs), SECLS_FILE, SECLS_REPORT.
;; Exits 0 after writing a JSON report, 1 with a message on stderr.

(require 'json)
(require 'cl-lib)
(require 'package)
(setq package-directory-list (cons "/usr/share/emacs/site-lisp/elpa" package-directory-list)
      package-user-dir (expand-file-name "elpa" (getenv "HOME")))
(package-initialize)

(defconst e2e-timeout 15)
(defconst e2e-fix "Stop the patcher with addCleanup")

(defvar e2e-server-errors nil "Error messages the server logged or showed, newest first.")

(defun e2e-fail (format-string &rest args)
  (princ (concat "emacs e2e: " (apply #'format format-string args) "\n") #'external-debugging-output)
  (dolist (text (reverse e2e-server-errors))
    (princ (concat "server error: " text "\n") #'external-debugging-output))
  (kill-emacs 1))

(defun e2e-record-server-error (_server method &rest params)
  (when (and (memq method '(window/logMessage window/showMessage)) (eql (plist-get params :type) 1))
    (push (plist-get params :message) e2e-server-errors)))

(defun e2e-fire-idle-timers ()
  "Batch Emacs is never idle: run the pending idle timers (eglot's didChange, flymake)."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun e2e-wait-for (what predicate)
  (let ((deadline (+ (float-time) e2e-timeout)) done)
    (while (not (setq done (funcall predicate)))
      (let ((server (eglot-current-server)))
        (when (or (null server) (not (jsonrpc-running-p server)))
          (e2e-fail "the secls server exited while waiting for %s" what)))
      (when e2e-server-errors
        (e2e-fail "the secls server logged an error while waiting for %s" what))
      (when (> (float-time) deadline)
        (e2e-fail "timed out after %d s waiting for %s" e2e-timeout what))
      (e2e-fire-idle-timers)
      (accept-process-output nil 0.02))
    done))

(defun e2e-sec301 ()
  (cl-remove-if-not (lambda (d) (equal (plist-get (e2e-lsp-diag d) :code) "SEC301"))
                    (flymake-diagnostics)))

(defun e2e-lsp-diag (diag)
  (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))))

(defun e2e-column (pos)
  (save-excursion (goto-char pos) (- pos (line-beginning-position))))

(defun e2e-main ()
  (let ((exe (getenv "SECLS_EXE")))
    (unless (and exe (file-executable-p exe))
      (e2e-fail "SECLS_EXE is not an executable: %s" exe))
    (add-to-list 'load-path (getenv "SECLS_EDITOR_DIR"))
    (require 'secls)
    (advice-add 'eglot-handle-notification :before #'e2e-record-server-error)
    (setq secls-command (list exe "serve")
          secls-initialization-options '(:debounceMs 0)
          eglot-send-changes-idle-time 0
          eglot-autoreconnect nil
          eglot-connect-timeout e2e-timeout))
  (find-file (getenv "SECLS_FILE")) ; flymake starts only on a displayed buffer
  (condition-case err
      (call-interactively #'eglot)
    (error (e2e-fail "eglot could not start the secls server: %s" (error-message-string err))))
  (e2e-wait-for "SEC301 diagnostics" #'e2e-sec301)
  (let* ((diag (car (e2e-sec301)))
         (lsp (e2e-lsp-diag diag))
         (beg (flymake-diagnostic-beg diag))
         (encoding (or (plist-get (eglot--capabilities (eglot-current-server)) :positionEncoding) "utf-16"))
         (report `((version . ,(format "%s/eglot-%s" emacs-version
                                       (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))))
                   (encoding . ,encoding)
                   (count . ,(length (e2e-sec301)))
                   (code . ,(plist-get lsp :code))
                   (message . ,(plist-get lsp :message))
                   (shown . ,(flymake-diagnostic-text diag))
                   (line . ,(1- (line-number-at-pos beg)))
                   (col . ,(e2e-column beg))            ; Emacs' own: characters
                   (end_col . ,(e2e-column (flymake-diagnostic-end diag)))
                   (lsp_range . ,(plist-get lsp :range)))))
    (goto-char beg)
    (let ((titles (mapcar (lambda (a) (plist-get a :title)) (eglot-code-actions beg nil "quickfix"))))
      (unless (member e2e-fix titles)
        (e2e-fail "no \"%s\" code action offered (offered: %S)" e2e-fix titles)))
    ;; The user's path: M-x eglot-code-actions, then pick the fix from the prompt.
    (let ((completing-read-function (lambda (&rest _) e2e-fix))
          (last-nonmenu-event ?\r)) ; a key, not a mouse click: prompt, no popup menu
      (call-interactively #'eglot-code-actions))
    (e2e-wait-for "the quick fix to edit the buffer"
                  (lambda () (save-excursion (goto-char (point-min)) (search-forward "addCleanup" nil t))))
    (e2e-wait-for "the SEC301 diagnostic to clear" (lambda () (null (e2e-sec301))))
    (push `(fixed_text . ,(buffer-substring-no-properties (point-min) (point-max))) report)
    (push `(remaining . ,(length (e2e-sec301))) report)
    (with-temp-file (getenv "SECLS_REPORT")
      (set-buffer-file-coding-system 'utf-8)
      (insert (json-encode report))))
  (set-buffer-modified-p nil)
  (let ((server (eglot-current-server)))
    (ignore-errors (eglot-shutdown server))))

(condition-case err
    (progn (e2e-main) (kill-emacs 0))
  (error (e2e-fail "%s" (error-message-string err))))
