from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The newsroom's staff account. A custom model from day one so it can grow without pain."""

    class Meta(AbstractUser.Meta):
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username
