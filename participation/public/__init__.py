"""What citizens see of the participation: follow forms and links, dialogues and their calendar, ideas.

May import `participation`'s models and services, `catalogue.models`, the `catalogue.public`
helpers and `cms`. `routes.register` hands the page types their answers when the app is ready.
"""
