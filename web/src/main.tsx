import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AuthProvider } from './shared/auth';
import { CartProvider } from './shared/cart';
import './styles/base.css';
import './styles/storefront.css';
import './styles/console.css';
import './styles/search.css';
import './styles/people.css';
import './styles/content.css';
import './styles/reco.css';
import './styles/membership.css';
import './styles/promotions.css';
import './styles/campaigns.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider>
      <CartProvider>
        <App />
      </CartProvider>
    </AuthProvider>
  </StrictMode>,
);
