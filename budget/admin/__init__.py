"""What staff use: the „Haushalt“ menu (viewsets), the key-figure report form, the import view."""
