"""What every layer needs to handle Thai: its characters and digits, text normalisation, the word
list and segmentation, the domain lexicon, dates (Buddhist Era, Thai month names, Thailand's
clock), citizen ID numbers, personal titles, and the one catalogue of Thai and English messages
with the coded-error base every user-facing error derives from.

The bottom layer, with `config`: it imports nothing of the project's other packages."""
