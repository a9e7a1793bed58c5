;;; eglot-driver.el --- driven by test/emacs/eglot.test.ts under `emacs --batch --no-init-file`
;; (site-start stays: Debian registers its elpa-* packages there).
;; Loads the README's eglot recipe (HOOKSMITH_EMACS_INIT), opens each file of the plan as a user
;; would (find-file, then the command loop's post-command-hook, where eglot-ensure connects),
;; waits (accept-process-output with a deadline, no sleeps) for the Flymake diagnostic it
;; expects, and prints one JSON line. With "fix", it then picks that quick fix as a user does with
;; M-x eglot-code-actions on the diagnostic (eglot's own menu, its completing-read answered with the
;; title), and waits for the diagnostic to go. Plan (env HOOKSMITH_EMACS_PLAN):
;; { "timeoutMs": N, "files": [ { "path": P, "expect": CODE, "fix": TITLE? } ] }
(require 'json)
(require 'cl-lib)
(require 'package)
(package-initialize) ; Debian's elpa-eglot lives in site-lisp/elpa
(setq make-backup-files nil)

(defun hooksmith--diags ()
  (cl-map 'vector (lambda (d)
            (let ((beg (flymake-diagnostic-beg d)))
              (list :line (line-number-at-pos beg) :column (save-excursion (goto-char beg) (current-column))
                    :type (symbol-name (flymake-diagnostic-type d)) :text (flymake-diagnostic-text d))))
          (flymake-diagnostics)))

(defun hooksmith--diag (code)
  (seq-find (lambda (d) (string-match-p (regexp-quote (format "[%s]" code)) (flymake-diagnostic-text d)))
            (flymake-diagnostics)))

(defun hooksmith--wait (done deadline-s)
  "Runs the event loop until DONE returns non-nil or DEADLINE-S seconds pass; DONE's value."
  (let ((start (float-time)) (value nil))
    (while (and (not (setq value (funcall done))) (< (- (float-time) start) deadline-s))
      (accept-process-output nil 0.05)
      (when (bound-and-true-p flymake-mode) (flymake-start)))
    value))

(defun hooksmith--apply-fix (code title deadline-s)
  "Picks TITLE among the code actions on CODE's diagnostic, as the interactive command offers them.
Returns the titles offered, the buffer's text after the fix, and whether CODE went."
  (let* ((d (hooksmith--diag code))
         (offered '())
         ;; A keyboard-driven pick (a list here would mean a mouse click and a popup menu).
         (last-nonmenu-event 13))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (setq offered (mapcar #'car collection))
                 title)))
      (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) nil t))
    ;; eglot sends the edit's didChange from an idle timer, and batch Emacs is never idle: send it as that timer would.
    (eglot--signal-textDocument/didChange)
    (list :offered (vconcat offered)
          :gone (if (hooksmith--wait (lambda () (not (hooksmith--diag code))) deadline-s) t :false)
          :text (buffer-substring-no-properties (point-min) (point-max)))))

(let* ((plan (json-parse-string (getenv "HOOKSMITH_EMACS_PLAN") :object-type 'plist :array-type 'list))
       (deadline-s (/ (plist-get plan :timeoutMs) 1000.0))
       (results '())
       (error-message nil))
  (condition-case err
      (progn
        (load-file (getenv "HOOKSMITH_EMACS_INIT"))
        (dolist (file (plist-get plan :files))
          (find-file (plist-get file :path))
          (run-hooks 'post-command-hook) ; what the command loop does after find-file: eglot-ensure connects here
          (let* ((found (hooksmith--wait (lambda () (hooksmith--diag (plist-get file :expect))) deadline-s))
                 (fix (and found (plist-get file :fix)
                           (hooksmith--apply-fix (plist-get file :expect) (plist-get file :fix) deadline-s))))
            (push (list :path (plist-get file :path) :mode (symbol-name major-mode)
                        :managed (if (bound-and-true-p eglot--managed-mode) t :false)
                        :appeared (if found t :false) :diagnostics (hooksmith--diags)
                        :fix (or fix :null))
                  results))))
    (error (setq error-message (error-message-string err))))
  (princ (concat (json-serialize (list :emacs emacs-version :files (vconcat (nreverse results))
                                       :error (or error-message :null)))
                 "\n"))
  (kill-emacs 0))
