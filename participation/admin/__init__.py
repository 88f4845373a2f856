"""What staff use: the moderation queue of ideas, the registrations, and the data protection officer's view.

Nothing outside the admin imports it but `participation.wagtail_hooks`.
"""
