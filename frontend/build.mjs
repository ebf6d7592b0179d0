// Builds frontend/build: compiled CSS, GOV.UK Frontend JS, the Hub's script and GOV.UK assets.
import { cpSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, 'build')
const govuk = join(here, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const css = sass.compile(join(here, 'src', 'hub.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ['import', 'global-builtin']
})
writeFileSync(join(out, 'hub.css'), css.css)
copyFileSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
copyFileSync(join(here, 'src', 'hub.mjs'), join(out, 'hub.js'))
cpSync(join(govuk, 'assets'), join(out, 'assets'), { recursive: true })
// axe-core is used by the browser tests only; keep a copy beside the build for them.
copyFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), join(here, 'axe.min.js'))
console.log('frontend built into', out)
