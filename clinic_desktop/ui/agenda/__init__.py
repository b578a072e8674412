"""The agenda screen: the day/week time grid of appointments per practitioner or room."""
