"""The staff inbox (Conversations): open threads, unanswered first."""

from django.contrib import admin

from .models import Conversation


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "status", "email", "claimed_by", "created_at"]
