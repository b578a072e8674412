"""First run on a computer with no clinic: choose between setting up a new clinic, trying the
demo clinic, or restoring a backup made on another computer; the setup wizard; and the page
that shows the new recovery key once."""
