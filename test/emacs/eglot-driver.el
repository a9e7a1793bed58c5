;;; eglot-driver.el --- driven by test/emacs/eglot.test.ts under `emacs --batch --no-init-file`
;; (site-start stays: Debian registers its elpa-* packages there).
;; Loads the README's eglot recipe (HOOKSMITH_EMACS_INIT), opens each file of the plan as a user
;; would (find-file, then the command loop's post-command-hook, where eglot-ensure connects),
;; waits (accept-process-output with a deadline, no sleeps) for the Flymake diagnostic it
;; expects, and prints one JSON line. Plan (env HOOKSMITH_EMACS_PLAN):
;; { "timeoutMs": N, "files": [ { "path": P, "expect": CODE } ] }
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

(defun hooksmith--has (code)
  (seq-some (lambda (d) (string-match-p (regexp-quote (format "[%s]" code)) (flymake-diagnostic-text d)))
            (flymake-diagnostics)))

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
          (let ((start (float-time)) (found nil))
            (while (and (not found) (< (- (float-time) start) deadline-s))
              (accept-process-output nil 0.05)
              (when (bound-and-true-p flymake-mode) (flymake-start))
              (setq found (hooksmith--has (plist-get file :expect))))
            (push (list :path (plist-get file :path) :mode (symbol-name major-mode)
                        :managed (if (bound-and-true-p eglot--managed-mode) t :false)
                        :appeared (if found t :false) :diagnostics (hooksmith--diags))
                  results))))
    (error (setq error-message (error-message-string err))))
  (princ (concat (json-serialize (list :emacs emacs-version :files (vconcat (nreverse results))
                                       :error (or error-message :null)))
                 "\n"))
  (kill-emacs 0))
