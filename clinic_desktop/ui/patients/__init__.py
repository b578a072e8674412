"""The patients screen: find patients, keep their demographics and consents up to date."""
