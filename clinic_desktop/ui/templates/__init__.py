"""The note templates screen: clinic-wide and personal templates that pre-fill new clinical
notes, with `[[question]]` prompts asked when a template is applied."""
