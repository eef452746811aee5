from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "leitbild.documents"
    label = "documents"
    verbose_name = "Dokumente"
