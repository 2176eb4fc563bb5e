"""Web views of the programs app: activities, nomination, attendance, certificates, JP elsewhere."""
