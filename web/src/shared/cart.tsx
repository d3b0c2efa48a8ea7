// The shopper's cart, shared by the header badge, product page and cart page.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api';
import { useAuth } from './auth';
import type { Cart } from './types';

interface CartState {
  cart: Cart | null;
  refresh: () => Promise<Cart | null>;
  setQuantity: (skuId: string, quantity: number) => Promise<Cart>;
  /** Adds to whatever quantity of that SKU is already in the cart. */
  add: (skuId: string, quantity: number) => Promise<Cart>;
}

const CartContext = createContext<CartState | null>(null);

export function CartProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const [cart, setCart] = useState<Cart | null>(null);

  const refresh = useCallback(async () => {
    if (!user) { setCart(null); return null; }
    const c = await api.get<Cart>('/cart');
    setCart(c);
    return c;
  }, [user]);

  useEffect(() => { refresh().catch(() => setCart(null)); }, [refresh]);

  const setQuantity = useCallback(async (skuId: string, quantity: number) => {
    const c = await api.put<Cart>('/cart/items', { skuId, quantity });
    setCart(c);
    return c;
  }, []);

  const add = useCallback(async (skuId: string, quantity: number) => {
    const latest = await api.get<Cart>('/cart');
    const have = latest.items.find((i) => i.skuId === skuId)?.quantity ?? 0;
    return setQuantity(skuId, have + quantity);
  }, [setQuantity]);

  return <CartContext.Provider value={{ cart, refresh, setQuantity, add }}>{children}</CartContext.Provider>;
}

export function useCart(): CartState {
  const c = useContext(CartContext);
  if (!c) throw new Error('useCart outside CartProvider');
  return c;
}
