"""The patient chart: one window per patient with tabs for the standing record, notes,
prescriptions, documents and the timeline."""
