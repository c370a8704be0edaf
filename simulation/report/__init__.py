"""What people read: the HTML report, figures, the profile of the starting point, terminal summaries, i18n."""
