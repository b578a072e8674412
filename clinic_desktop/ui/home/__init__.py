"""The home page: who is signed in, in which clinic, and what they can do here."""
