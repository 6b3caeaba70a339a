"""Email: EML (MIME), MBOX and Outlook MSG, with attachments back through the registry."""
